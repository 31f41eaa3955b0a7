kubectl create namespace argo-rollouts
kubectl apply -n argo-rollouts -f https://github.com/argoproj/argo-rollouts/releases/latest/download/install.yaml
sleep 10
kubectl get pods -n argo-rollouts
kubectl apply -f rollout.yaml
kubectl apply -f service.yaml
sleep 30
kubectl argo rollouts get rollout rollouts-demo
kubectl argo rollouts set image rollouts-demo rollouts-demo=argoproj/rollouts-demo:yellow
sleep 20
kubectl argo rollouts get rollout rollouts-demo
kubectl argo rollouts promote rollouts-demo
sleep 90
kubectl argo rollouts get rollout rollouts-demo
kubectl argo rollouts set image rollouts-demo rollouts-demo=argoproj/rollouts-demo:red
sleep 20
kubectl argo rollouts get rollout rollouts-demo
kubectl argo rollouts abort rollouts-demo
sleep 10
kubectl argo rollouts get rollout rollouts-demo
kubectl argo rollouts set image rollouts-demo rollouts-demo=argoproj/rollouts-demo:yellow
sleep 10
kubectl argo rollouts get rollout rollouts-demo
kubectl argo rollouts list rollouts
kubectl get rollout
kubectl get events --field-selector involvedObject.kind=Rollout
