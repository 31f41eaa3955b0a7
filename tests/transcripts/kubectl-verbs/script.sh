# Every kubectl verb the lab knows, with its exact output, good and bad.
kubectl version --client
kubectl api-resources
kubectl apply -f deployment-demo.yaml -f service-rollout.yaml
kubectl apply -f deployment-demo.yaml
kubectl create -f service-rollout.yaml
kubectl apply -f broken.yaml
sleep 40
kubectl get deploy,rs,po -o wide
kubectl get pods --show-labels
kubectl get pods -L app,release -l 'app in (demoapp)'
kubectl get pods -n kube-system
kubectl get svc,ep
kubectl get deploy deployment-demo -o name
kubectl get deploy nonexistent
kubectl get deploymentz
kubectl get
kubectl scale deployment deployment-demo --replicas=6
kubectl scale deployment/deployment-demo --replicas=-1
kubectl scale deployment/deployment-demo --replicas=abc
kubectl scale deployment/deployment-demo
sleep 30
kubectl get rs
kubectl annotate deployment deployment-demo kubernetes.io/change-cause='image v1.1 for the canary'
kubectl set image deployment/deployment-demo demoapp=ikubernetes/demoapp:v1.1
kubectl set image deployment/deployment-demo demoapp=ikubernetes/demoapp:v1.1
kubectl set image deployment/deployment-demo demo=ikubernetes/demoapp:v1.1
kubectl rollout status deployment/deployment-demo
kubectl rollout history deployment/deployment-demo
kubectl rollout history deployment/deployment-demo --revision=2
kubectl rollout pause deployment/deployment-demo
kubectl rollout pause deployment/deployment-demo
kubectl rollout restart deployment/deployment-demo
kubectl rollout resume deployment/deployment-demo
kubectl rollout resume deployment/deployment-demo
kubectl label deployment deployment-demo tier=frontend
kubectl label deployment deployment-demo tier=backend
kubectl label deployment deployment-demo tier-
kubectl patch svc demoapp-svc -p '{"spec":{"selector":{"release":"stable"}}}'
kubectl patch svc demoapp-svc -p '{"spec":{"selector":{"release":"stable"}}}'
kubectl get svc demoapp-svc -o wide
kubectl describe svc demoapp-svc
kubectl delete $(kubectl get pods -o name | head -n 1)
kubectl logs deploy/nonexistent
kubectl logs deploy/deployment-demo
kubectl exec deploy-nope -- hostname
kubectl exec $(kubectl get pods -o name | head -n 1 | cut -d/ -f2) -- curl -s demoapp-svc
kubectl explain deployment.spec.strategy.rollingUpdate.maxSurge
kubectl rollout undo deployment/deployment-demo --to-revision=1
kubectl rollout status deployment/deployment-demo
kubectl get events --field-selector reason=ScalingReplicaSet | head -n 3
kubectl edit deployment deployment-demo
kubectl get pods -o name | cut -d/ -f2 | head -n 2
kubectl get pods | awk '{print $1, $3}' | head -n 3
kubectl get pods -o jsonpath='{.items[0].status.podIP}'
kubectl frobnicate
kubectl delete -f service-rollout.yaml
kubectl delete deployment deployment-demo
sleep 40
kubectl get all
kubectl scale --help
kubectl help
kubectl cordon k8s-node01
kubectl rollout undo --help
kubectl rollout status deployment/deployment-demo -h
kubectl set image --help
kubectl set -h
