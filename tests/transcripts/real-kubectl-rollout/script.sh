# A rollout driven the way a real kubectl drives one (issue #18): the differential test runs
# these lines through the lab's terminal and through kubectl v1.30 against rollout-lab apiserver.
kubectl apply -f deployment-demo.yaml
sleep 30
kubectl get deploy,rs,pods
kubectl set image deployment/deployment-demo demoapp=ikubernetes/demoapp:v1.1
kubectl rollout status deployment/deployment-demo
kubectl get rs
kubectl rollout history deployment/deployment-demo
kubectl rollout undo deployment/deployment-demo
timeout 60 kubectl get rs -w
kubectl get deploy -o wide
kubectl rollout history deployment/deployment-demo
kubectl get deployment deployment-demo -o yaml
kubectl describe deployment deployment-demo
kubectl get pods -l app=demoapp --show-labels
kubectl scale deployment deployment-demo --replicas=2
sleep 10
kubectl get deploy,rs
kubectl delete deployment deployment-demo
kubectl get deployment deployment-demo
